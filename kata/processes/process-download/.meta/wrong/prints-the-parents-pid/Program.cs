using System.Diagnostics;
using System.Globalization;

if (args is ["worker", var file])
{
    // "The pid of the program": the parent's, read from /proc/self/stat (field 4 is the ppid).
    var stat = File.ReadAllText("/proc/self/stat");
    var pid = stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[1];
    Console.WriteLine($"start {file} pid={pid}");
    Kata.Download(file);
    Console.WriteLine($"finish {file} pid={pid}");
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
