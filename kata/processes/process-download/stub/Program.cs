// Exercise 2: process-download. Instructions: README.md (English) / README.zh-CN.md (简体中文).
// Run it by hand:  dotnet run -- report.pdf photo.jpg
using System.Diagnostics;

// The same program is both the parent and the workers: a worker is started with the arguments
// "worker <name>" and downloads that one file.
if (args.Length == 2 && args[0] == "worker")
{
    var file = args[1];
    // TODO: print "start <name> pid=<pid>", download the file with Kata.Download(file), then print
    //       "finish <name> pid=<pid>". Environment.ProcessId is the id of this process.
    return;
}

// TODO: start a Stopwatch before the first worker starts.

foreach (var name in args)
{
    // TODO: start one worker process for this file. Kata.WorkerStartInfo("worker", name) describes
    //       how to run this same program again; give it to Process.Start and keep the Process it returns.
}

// TODO: wait until every worker process has exited, and only then print the total.

// TODO: print the measured total as "total <seconds> s", for example "total 1.32 s".
Console.WriteLine("total 0.00 s");
