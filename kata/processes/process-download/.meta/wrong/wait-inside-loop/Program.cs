// Mistake: each worker is waited for right after it starts, so the next one starts only when it is done.
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
    using var worker = Process.Start(Kata.WorkerStartInfo("worker", name))!;
    worker.WaitForExit();
}
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"total {clock.Elapsed.TotalSeconds:0.00} s"));
