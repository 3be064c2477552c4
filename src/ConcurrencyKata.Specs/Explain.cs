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

    /// <summary>Reports the check as skipped with a reason; never as passed.</summary>
    [System.Diagnostics.CodeAnalysis.DoesNotReturn]
    public static void Skip(string reason)
    {
        Assert.Ignore("skipped: " + reason);
        throw new System.Diagnostics.UnreachableException();
    }

    public static string Format(string expected, string observed, string lookAt) =>
        $"{ExpectedLabel}{expected}\n{ObservedLabel}{observed}\n{LookAtLabel}{lookAt}";
}
