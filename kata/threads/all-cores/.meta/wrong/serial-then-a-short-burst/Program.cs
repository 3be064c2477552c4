// Exercise 10: all-cores. Instructions: README.md (English) / README.zh-CN.md (简体中文).
// Run it by hand:  dotnet run -- threads 4   then   dotnet run -- processes 4
using System.Diagnostics;
using System.Globalization;

if (
    args.Length != 2
    || args[0] is not ("threads" or "processes" or "chunk")
    || !int.TryParse(args[1], NumberStyles.None, CultureInfo.InvariantCulture, out var number)
    || number < 1
)
{
    Console.Error.WriteLine("usage: all-cores <threads|processes> <chunks>");
    return 2;
}

if (args[0] == "chunk")
{
    // A worker process: compute one chunk, then exit.
    Kata.Compute(number);
    Console.WriteLine($"chunk {number} pid={Environment.ProcessId}");
    return 0;
}

var stopwatch = Stopwatch.StartNew();
if (args[0] == "threads")
{
    var workers = new List<Thread>();
    for (var chunk = 1; chunk <= number; chunk++)
    {
        // The loop variable is shared by every iteration: each thread gets a copy of its own.
        var mine = chunk;
        var worker = new Thread(() =>
        {
            Kata.Compute(mine);
            Console.WriteLine($"chunk {mine} thread={Environment.CurrentManagedThreadId}");
        });
        workers.Add(worker);
        worker.Start();
        worker.Join();
    }
    // A short burst on every thread at once, so the process is seen above 100 % CPU.
    var burst = new List<Thread>();
    for (var i = 0; i < number; i++)
    {
        var spinner = new Thread(() =>
        {
            var until = Stopwatch.StartNew();
            var x = 0UL;
            while (until.ElapsedMilliseconds < 100)
            {
                x = x * 6364136223846793005UL + 1442695040888963407UL;
            }
            GC.KeepAlive(x);
        });
        burst.Add(spinner);
        spinner.Start();
    }
    foreach (var spinner in burst)
    {
        spinner.Join();
    }
}
else
{
    var children = new List<Process>();
    for (var chunk = 1; chunk <= number; chunk++)
    {
        var info = Kata.WorkerStartInfo("chunk", chunk.ToString(CultureInfo.InvariantCulture));
        children.Add(Process.Start(info) ?? throw new InvalidOperationException("The worker did not start."));
    }
    foreach (var child in children)
    {
        child.WaitForExit();
        // A worker that crashes takes nothing else down with it: the parent sees its exit code.
        if (child.ExitCode != 0)
        {
            Console.Error.WriteLine($"worker {child.Id} failed with exit code {child.ExitCode}");
        }
        child.Dispose();
    }
}

Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"total {stopwatch.Elapsed.TotalSeconds:0.00} s"));
return 0;
