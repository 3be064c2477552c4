using ConcurrencyKata;
using ConcurrencyKata.Catalog;
using Spectre.Console;

var console = AnsiConsole.Console;
if (Console.IsOutputRedirected)
{
    // Logs (CI, files, pipes) get whole lines instead of lines wrapped at 80 columns.
    console.Profile.Width = 240;
}
return await KataApp.Create(console, Course.LoadDefault).RunAsync(args);
