namespace ConcurrencyKata.Reports;

/// <summary>Where a report goes: a file (written safely, see <see cref="Workspace.SafeFile"/>), or standard output for "-".</summary>
public static class ReportFile
{
    /// <summary>
    /// What "-" becomes before the command line is parsed (the parser takes "-" for an option). While a
    /// report goes to standard output, everything else kata prints goes to standard error.
    /// </summary>
    public const string StandardOutput = "<standard output>";

    /// <summary>The options that take a report path, and so "-".</summary>
    public static IReadOnlyList<string> PathOptions { get; } = ["--results", "--junit"];

    /// <summary>The options that put a report on standard output by themselves.</summary>
    public static IReadOnlyList<string> StandardOutputFlags { get; } = ["--json"];

    public static void Write(string path, byte[] content)
    {
        if (path == StandardOutput)
        {
            using var stdout = System.Console.OpenStandardOutput();
            stdout.Write(content);
            stdout.Flush();
            return;
        }
        Workspace.SafeFile.Write(path, content);
    }

    /// <summary>
    /// Rewrites the arguments so that "-" after a report option names standard output; true when some
    /// report goes there (then the console's text goes to standard error).
    /// </summary>
    public static bool RedirectStandardOutput(string[] args)
    {
        var toStdout = false;
        for (var i = 0; i < args.Length; i++)
        {
            if (i + 1 < args.Length && PathOptions.Contains(args[i]) && args[i + 1] == "-")
            {
                args[i + 1] = StandardOutput;
                toStdout = true;
            }
            toStdout |= StandardOutputFlags.Contains(args[i]) && args.Take(i).All(a => a != "--");
        }
        return toStdout;
    }
}
