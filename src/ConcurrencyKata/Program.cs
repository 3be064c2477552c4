using ConcurrencyKata;
using ConcurrencyKata.Catalog;
using Spectre.Console;

// "--results -" makes standard output the results' channel (for scripts and for kata grade, which reads
// a submission's results there and nowhere else); everything else then goes to standard error.
// (The command-line parser takes "-" for an option, so it is handed on under another name.)
var resultsToStdout = false;
for (var i = 0; i + 1 < args.Length; i++)
{
    if (args[i] == "--results" && args[i + 1] == "-")
    {
        args[i + 1] = ConcurrencyKata.Reports.ResultsJson.StandardOutput;
        resultsToStdout = true;
    }
}

// Ctrl+C, SIGTERM and SIGHUP end every program kata started before kata exits.
Interruption.Install();
if (Environment.GetEnvironmentVariable(ConcurrencyKata.Grading.ProcessSubmissionGrader.MarkerVariable) is not null)
{
    // Graded: the submission's programs must not reach this process's output or memory.
    ConcurrencyKata.Harness.Protection.HideFromPrograms();
}

// Logs (CI, files, pipes) get plain text: no colour codes, no spinner, whole lines instead of lines
// wrapped at 80 columns. (Spectre.Console would colour a GitHub Actions log, which is not a terminal.)
var redirected = resultsToStdout ? Console.IsErrorRedirected : Console.IsOutputRedirected;
var console =
    redirected
        ? AnsiConsole.Create(
            new AnsiConsoleSettings
            {
                Ansi = AnsiSupport.No,
                ColorSystem = ColorSystemSupport.NoColors,
                Interactive = InteractionSupport.No,
                Out = new AnsiConsoleOutput(resultsToStdout ? Console.Error : Console.Out),
            }
        )
    : resultsToStdout ? AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) })
    : AnsiConsole.Console;
if (redirected)
{
    console.Profile.Width = 240;
}
var exitCode = await KataApp.Create(console, Course.LoadDefault).RunAsync(args);

// A signal's handler decides the exit code once it has ended every program.
Interruption.HoldIfStopping();
return exitCode;
