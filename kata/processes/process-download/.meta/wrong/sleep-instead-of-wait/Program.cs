// Mistake: a fixed Thread.Sleep stands in for waiting; it is long enough, but the program idles after the workers are done.
using System.Diagnostics;
using System.Globalization;

if (args is ["worker", var file])
{
    Console.WriteLine($"start {file} pid={Environment.ProcessId}");
    Kata.Download(file);
    Console.WriteLine($"finish {file} pid={Environment.ProcessId}");
    return;
}

var clock = Stopwatch.StartNew();
foreach (var name in args)
{
    Process.Start(Kata.WorkerStartInfo("worker", name));
}

// Far longer than any download, even when starting the workers is slow on a busy machine.
Thread.Sleep(6000);
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"total {clock.Elapsed.TotalSeconds:0.00} s"));
