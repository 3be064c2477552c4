using System.Diagnostics;
using System.Globalization;

if (args is ["worker", var file])
{
    Console.WriteLine($"start {file} pid={Environment.ProcessId}");
    Console.WriteLine($"finish {file} pid={Environment.ProcessId}");
    Kata.Download(file);
    return;
}

var clock = Stopwatch.StartNew();
var workers = new List<Process>();
foreach (var name in args)
{
    workers.Add(Process.Start(Kata.WorkerStartInfo("worker", name))!);
}
foreach (var worker in workers)
{
    worker.WaitForExit();
    worker.Dispose();
}
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"total {clock.Elapsed.TotalSeconds:0.00} s"));
