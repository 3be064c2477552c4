using System.Diagnostics;
using System.Globalization;

if (args is ["worker", var file, .. var others])
{
    if (file == "--idle")
    {
        // Just be alive for a while, so that there is one child per file.
        Thread.Sleep(TimeSpan.FromSeconds(1));
        return;
    }
    var threads = new List<Thread>();
    foreach (var name in others.Prepend(file))
    {
        var thread = new Thread(() =>
        {
            Console.WriteLine($"start {name} pid={Environment.ProcessId}");
            Kata.Download(name);
            Console.WriteLine($"finish {name} pid={Environment.ProcessId}");
        });
        thread.Start();
        threads.Add(thread);
    }
    threads.ForEach(thread => thread.Join());
    return;
}

var clock = Stopwatch.StartNew();
var workers = new List<Process>();
for (var i = 0; i < args.Length; i++)
{
    workers.Add(
        Process.Start(i == 0 ? Kata.WorkerStartInfo(["worker", .. args]) : Kata.WorkerStartInfo("worker", "--idle"))!
    );
}
foreach (var worker in workers)
{
    worker.WaitForExit();
    worker.Dispose();
}
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"total {clock.Elapsed.TotalSeconds:0.00} s"));
