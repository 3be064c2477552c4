using ConcurrencyKata.Harness;

namespace ConcurrencyKata.Specs;

/// <summary>The learner's built program and the verifier's choices for this verification, from NUnit's test parameters.</summary>
public static class Learner
{
    public const string ProgramParameter = "program";
    public const string SeedParameter = "seed";

    private static readonly Lazy<Random> SharedRandom = new(() =>
        new Random(TestContext.Parameters.Get(SeedParameter, Environment.TickCount))
    );

    public static IProgramRunner Runner { get; set; } = new ProgramRunner();

    /// <summary>The built program to verify (an apphost or a .dll).</summary>
    public static string ProgramPath =>
        TestContext.Parameters.Get(ProgramParameter)
        ?? throw new InvalidOperationException(
            $"No program to verify: pass the built program as the NUnit test parameter '{ProgramParameter}'."
        );

    /// <summary>Random choices of the verifier; seeded from the 'seed' test parameter when one is given.</summary>
    public static Random Random => SharedRandom.Value;

    public static RunRequest Request(params string[] arguments) =>
        new RunRequest(ProgramPath) { Arguments = arguments };

    public static Task<RunRecord> RunAsync(RunRequest request) => Runner.RunAsync(request);

    /// <summary>A random duration in [minMs, maxMs], whole milliseconds.</summary>
    public static int Milliseconds(int minMs, int maxMs) => Random.Next(minMs, maxMs + 1);
}
