namespace ConcurrencyKata.Harness;

/// <summary>What a verifying process does to keep the programs it runs away from itself.</summary>
public static class Protection
{
    /// <summary>
    /// Closes this process's /proc entries to processes of the same user (see
    /// <c>PR_SET_DUMPABLE</c>): a program under verification cannot write into the verifier's
    /// output or read its memory. False where the system does not allow it.
    /// </summary>
    public static bool HideFromPrograms() => Native.TryMakeNotDumpable();
}
