// Mistake: the parent waits by polling HasExited in a tight loop and keeps a processor core busy.
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
var workers = new List<Process>();
foreach (var name in args)
{
    workers.Add(Process.Start(Kata.WorkerStartInfo("worker", name))!);
}
while (workers.Any(w => !w.HasExited)) { }
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"total {clock.Elapsed.TotalSeconds:0.00} s"));
