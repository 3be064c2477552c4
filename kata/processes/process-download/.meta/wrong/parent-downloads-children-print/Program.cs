using System.Diagnostics;
using System.Globalization;

if (args is ["worker", var file])
{
    Console.WriteLine($"start {file} pid={Environment.ProcessId}");
    Thread.Sleep(TimeSpan.FromMilliseconds(200)); // the parent does the real download
    Console.WriteLine($"finish {file} pid={Environment.ProcessId}");
    return;
}

var clock = Stopwatch.StartNew();
var workers = new List<Process>();
foreach (var name in args)
{
    workers.Add(Process.Start(Kata.WorkerStartInfo("worker", name))!);
}
var downloads = args.Select(name => new Thread(() => Kata.Download(name))).ToList();
downloads.ForEach(thread => thread.Start());
downloads.ForEach(thread => thread.Join());
foreach (var worker in workers)
{
    worker.WaitForExit();
    worker.Dispose();
}
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"total {clock.Elapsed.TotalSeconds:0.00} s"));
