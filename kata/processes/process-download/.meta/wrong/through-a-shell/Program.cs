// Mistake: each worker is launched through /bin/sh -c, so the workers' parent is a shell, not this program.
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
    var direct = Kata.WorkerStartInfo("worker", name);
    var command = string.Join(' ', new[] { direct.FileName }.Concat(direct.ArgumentList).Select(a => $"'{a}'"));
    var viaShell = new ProcessStartInfo("/bin/sh") { UseShellExecute = false };
    viaShell.ArgumentList.Add("-c");
    viaShell.ArgumentList.Add($"{command} || echo 'worker for {name} failed' >&2");
    workers.Add(Process.Start(viaShell)!);
}
foreach (var worker in workers)
{
    worker.WaitForExit();
    worker.Dispose();
}
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"total {clock.Elapsed.TotalSeconds:0.00} s"));
