namespace ConcurrencyKata;

/// <summary>An expected problem (bad input, missing workspace, ...): shown as a sentence, never as a stack trace.</summary>
public sealed class KataException(string message, int exitCode) : Exception(message)
{
    public int ExitCode { get; } = exitCode;
}

public static class ExitCodes
{
    public const int Passed = 0;
    public const int Failed = 1;
    public const int Usage = 2;
    public const int BuildFailed = 3;

    /// <summary>A file could not be written (a full disk, a read-only folder): the machine's problem, not the learner's.</summary>
    public const int CouldNotWrite = 3;
}
