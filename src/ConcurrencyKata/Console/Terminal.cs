using System.Text;
using Spectre.Console;

namespace ConcurrencyKata.Console;

/// <summary>
/// The consoles kata writes to: results on standard output, errors and warnings on standard error.
/// A terminal gets colour and a spinner. Anything else (a file, a pipe, a CI log) and a terminal under
/// NO_COLOR or TERM=dumb get plain text: no escape code at all (Spectre.Console would otherwise colour
/// a GitHub Actions log, which it recognises), no spinner, lines not wrapped at 80 columns and not
/// padded with spaces.
/// </summary>
public static class Terminal
{
    public static IAnsiConsole Create(TextWriter writer, bool redirected, KataEnvironment environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        var plain =
            redirected
            || environment["NO_COLOR"] is { Length: > 0 }
            || environment.IsGitHubActions
            || environment["TERM"] == "dumb";
        if (!plain)
        {
            return AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(writer) });
        }
        var console = AnsiConsole.Create(
            new AnsiConsoleSettings
            {
                Ansi = AnsiSupport.No,
                ColorSystem = ColorSystemSupport.NoColors,
                Interactive = InteractionSupport.No,
                Enrichment = new ProfileEnrichment { UseDefaultEnrichers = false },
                Out = new AnsiConsoleOutput(redirected ? new TrailingSpaceTrimmer(writer) : writer),
            }
        );
        if (redirected)
        {
            // Never wrapped: a log viewer or an editor wraps for its own width.
            console.Profile.Width = 4096;
        }
        return console;
    }
}

/// <summary>
/// Passes text on with the spaces at the end of each line left out (Spectre pads table cells and help
/// columns to their width). Spaces are held back until something other than a line break follows them.
/// </summary>
public sealed class TrailingSpaceTrimmer(TextWriter inner) : TextWriter
{
    private readonly StringBuilder _spaces = new();

    public override Encoding Encoding => inner.Encoding;

    public override void Write(char value)
    {
        switch (value)
        {
            case ' ':
                _spaces.Append(value);
                return;
            case '\n':
            case '\r':
                _spaces.Clear();
                break;
            default:
                if (_spaces.Length > 0)
                {
                    inner.Write(_spaces.ToString());
                    _spaces.Clear();
                }
                break;
        }
        inner.Write(value);
    }

    public override void Write(string? value)
    {
        foreach (var c in value ?? "")
        {
            Write(c);
        }
    }

    public override void Write(char[] buffer, int index, int count)
    {
        for (var i = index; i < index + count; i++)
        {
            Write(buffer[i]);
        }
    }

    public override void Flush() => inner.Flush();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            inner.Flush();
        }
        base.Dispose(disposing);
    }
}
