using ConcurrencyKata.Harness;

namespace ConcurrencyKata.Specs;

/// <summary>The learner's built program and the verifier's choices for this verification, from NUnit's test parameters.</summary>
public static class Learner
{
    public const string ProgramParameter = "program";
    public const string SeedParameter = "seed";

    private static readonly Lock Gate = new();
    private static (string Seed, Random Random)? _seeded;

    public static IProgramRunner Runner { get; set; } = new ProgramRunner();

    /// <summary>The built program to verify (an apphost or a .dll).</summary>
    public static string ProgramPath =>
        TestContext.Parameters.Get(ProgramParameter)
        ?? throw new InvalidOperationException(
            $"No program to verify: pass the built program as the NUnit test parameter '{ProgramParameter}'."
        );

    /// <summary>
    /// Random choices of the verifier. A verification that passes the 'seed' test parameter gets the
    /// same choices again for the same seed; without it every run chooses anew.
    /// </summary>
    public static Random Random
    {
        get
        {
            var seed = TestContext.Parameters.Get(SeedParameter);
            if (seed is null)
            {
                return Random.Shared;
            }
            lock (Gate)
            {
                if (_seeded is not { } current || current.Seed != seed)
                {
                    current = (seed, new Random(StableHash(seed)));
                    _seeded = current;
                }
                return current.Random;
            }
        }
    }

    private static int StableHash(string text)
    {
        var hash = 17;
        foreach (var c in text)
        {
            hash = unchecked((hash * 31) + c);
        }
        return hash;
    }

    public static RunRequest Request(params string[] arguments) =>
        new RunRequest(ProgramPath) { Arguments = arguments };

    public static Task<RunRecord> RunAsync(RunRequest request) => Runner.RunAsync(request);

    /// <summary>A random duration in [minMs, maxMs], whole milliseconds.</summary>
    public static int Milliseconds(int minMs, int maxMs) => Random.Next(minMs, maxMs + 1);
}
