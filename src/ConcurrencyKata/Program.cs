using ConcurrencyKata;
using ConcurrencyKata.Catalog;
using Spectre.Console;

// Logs (CI, files, pipes) get plain text: no colour codes, no spinner, whole lines instead of lines
// wrapped at 80 columns. (Spectre.Console would colour a GitHub Actions log, which is not a terminal.)
var console = Console.IsOutputRedirected
    ? AnsiConsole.Create(
        new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
            Out = new AnsiConsoleOutput(Console.Out),
        }
    )
    : AnsiConsole.Console;
if (Console.IsOutputRedirected)
{
    console.Profile.Width = 240;
}
return await KataApp.Create(console, Course.LoadDefault).RunAsync(args);
