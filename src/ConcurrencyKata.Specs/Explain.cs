namespace ConcurrencyKata.Specs;

/// <summary>
/// Failure messages in one shape, so every report reads the same:
/// what was expected, what was observed, and where to look.
/// </summary>
public static class Explain
{
    public const string ExpectedLabel = "Expected: ";
    public const string ObservedLabel = "Observed: ";
    public const string LookAtLabel = "Look at: ";

    public static void That(bool condition, string expected, Func<string> observed, string lookAt)
    {
        ArgumentNullException.ThrowIfNull(observed);
        if (!condition)
        {
            Fail(expected, observed(), lookAt);
        }
    }

    public static void That(bool condition, string expected, string observed, string lookAt)
    {
        if (!condition)
        {
            Fail(expected, observed, lookAt);
        }
    }

    [System.Diagnostics.CodeAnalysis.DoesNotReturn]
    public static void Fail(string expected, string observed, string lookAt)
    {
        Assert.Fail(Format(expected, observed, lookAt));
        throw new System.Diagnostics.UnreachableException();
    }

    /// <summary>The start of the message of a check that was not judged because of a cause another check reports.</summary>
    public const string NotJudgedPrefix = "not judged: ";

    /// <summary>
    /// Reports the check as not judged: one root cause (the program was stopped, or crashed) left it
    /// nothing to judge, and the check that reports that cause says so once. Earns nothing.
    /// </summary>
    [System.Diagnostics.CodeAnalysis.DoesNotReturn]
    public static void NotJudged(string cause)
    {
        Assert.Inconclusive(NotJudgedPrefix + cause);
        throw new System.Diagnostics.UnreachableException();
    }

    /// <summary>Reports the check as skipped with a reason; never as passed.</summary>
    [System.Diagnostics.CodeAnalysis.DoesNotReturn]
    public static void Skip(string reason)
    {
        Assert.Ignore("skipped: " + reason);
        throw new System.Diagnostics.UnreachableException();
    }

    /// <summary>
    /// The start of the reason (after "skipped: ") of a check skipped because other programs kept the
    /// machine's processors busy: a speed-up cannot be shown without free cores. The course check
    /// accepts this skip, and only this one, from a correct solution.
    /// </summary>
    public const string BusyMachine = "the machine was too busy to measure this";

    /// <summary>Reports a measurement that needs free processors as skipped, with the figures; never as passed.</summary>
    [System.Diagnostics.CodeAnalysis.DoesNotReturn]
    public static void SkipBusyMachine(string figures) => Skip($"{BusyMachine}: {figures}");

    /// <summary>True for a check result message that <see cref="SkipBusyMachine"/> produced.</summary>
    public static bool IsBusyMachineSkip(string? message) =>
        message?.StartsWith("skipped: " + BusyMachine, StringComparison.Ordinal) == true;

    public static string Format(string expected, string observed, string lookAt) =>
        $"{ExpectedLabel}{expected}\n{ObservedLabel}{observed}\n{LookAtLabel}{lookAt}";
}
