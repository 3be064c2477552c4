using ConcurrencyKata;
using ConcurrencyKata.Catalog;
using ConcurrencyKata.Console;
using ConcurrencyKata.Reports;

// "--results -", "--junit -" and "--json" make standard output a report's channel (for scripts, and for
// kata grade, which reads a submission's results there and nowhere else); everything else then goes to
// standard error.
var reportToStdout = ReportFile.RedirectStandardOutput(args);

// Ctrl+C, SIGTERM and SIGHUP end every program kata started before kata exits.
Interruption.Install();
if (Environment.GetEnvironmentVariable(ConcurrencyKata.Grading.ProcessSubmissionGrader.MarkerVariable) is not null)
{
    // Graded: the submission's programs must not reach this process's output or memory.
    ConcurrencyKata.Harness.Protection.HideFromPrograms();
}

var environment = KataEnvironment.Process;
var errors = Terminal.Create(Console.Error, Console.IsErrorRedirected, environment);
var console = reportToStdout ? errors : Terminal.Create(Console.Out, Console.IsOutputRedirected, environment);
int exitCode;
try
{
    exitCode = await KataApp.Create(console, Course.LoadDefault, errors: errors).RunAsync(args);
}
finally
{
    Console.Out.Flush();
    Console.Error.Flush();
}

// A signal's handler decides the exit code once it has ended every program.
Interruption.HoldIfStopping();
return exitCode;
