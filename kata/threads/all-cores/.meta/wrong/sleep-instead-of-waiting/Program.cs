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
    }
    // One chunk is about a second of processor time; give every round of cores a little more.
    Thread.Sleep(TimeSpan.FromSeconds(0.5 + (2.0 * Math.Ceiling((double)number / Environment.ProcessorCount))));
}
else
{
    var children = new List<Process>();
    for (var chunk = 1; chunk <= number; chunk++)
    {
        var info = Kata.WorkerStartInfo("chunk", chunk.ToString(CultureInfo.InvariantCulture));
        children.Add(Process.Start(info) ?? throw new InvalidOperationException("The worker did not start."));
    }
    // Process start-up costs a little; then about a second per round of cores.
    Thread.Sleep(TimeSpan.FromSeconds(0.8 + (2.0 * Math.Ceiling((double)number / Environment.ProcessorCount))));
    foreach (var child in children)
    {
        child.Dispose();
    }
}

Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"total {stopwatch.Elapsed.TotalSeconds:0.00} s"));
return 0;
