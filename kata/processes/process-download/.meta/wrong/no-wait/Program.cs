// Mistake: the workers are started but never waited for; the total is printed at once and the program ends.
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
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"total {clock.Elapsed.TotalSeconds:0.00} s"));
