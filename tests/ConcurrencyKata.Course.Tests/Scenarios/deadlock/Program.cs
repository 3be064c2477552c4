// A deadlock between processes: each worker writes a long progress log to a redirected stdout that
// the main program only reads after the worker has exited. The pipe fills up (64 KiB), the worker
// blocks writing, the main program blocks waiting: neither ever moves again.
using System.Diagnostics;

if (args is ["worker", var file])
{
    for (var i = 0; i < 100_000; i++)
    {
        Console.WriteLine($"downloading {file}: block {i}");
    }
    Kata.Download(file);
    return;
}

var workers = new List<Process>();
foreach (var name in args)
{
    var info = Kata.WorkerStartInfo("worker", name);
    info.RedirectStandardOutput = true;
    workers.Add(Process.Start(info)!);
}
foreach (var worker in workers)
{
    worker.WaitForExit();
    Console.Write(worker.StandardOutput.ReadToEnd());
}
Console.WriteLine("total 0.00 s");
