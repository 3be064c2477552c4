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
    // A worker process (mode processes starts these): compute one chunk, then exit. Nothing to change here.
    Kata.Compute(number);
    Console.WriteLine($"chunk {number} pid={Environment.ProcessId}");
    return 0;
}

var stopwatch = Stopwatch.StartNew();
if (args[0] == "threads")
{
    // TODO: compute each chunk on a Thread of its own: create and Start() one new Thread per chunk
    //       (1 to number), all of them before you wait for any, then Join them all.
    //       For now the main thread computes every chunk itself, one after another.
    for (var chunk = 1; chunk <= number; chunk++)
    {
        Kata.Compute(chunk);
        Console.WriteLine($"chunk {chunk} thread={Environment.CurrentManagedThreadId}");
    }
}
else
{
    // TODO: start every worker process first, then wait for them all. For now each worker is
    //       waited for before the next one starts, so only one chunk is computed at a time.
    for (var chunk = 1; chunk <= number; chunk++)
    {
        var info = Kata.WorkerStartInfo("chunk", chunk.ToString(CultureInfo.InvariantCulture));
        using var child = Process.Start(info) ?? throw new InvalidOperationException("The worker did not start.");
        child.WaitForExit();
    }
}

Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"total {stopwatch.Elapsed.TotalSeconds:0.00} s"));
return 0;
