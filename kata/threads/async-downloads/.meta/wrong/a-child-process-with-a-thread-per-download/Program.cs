// Exercise 11: async-downloads. Instructions: README.md (English) / README.zh-CN.md (简体中文).
// Run it by hand:  dotnet run -- 1000
using System.Diagnostics;
using System.Globalization;

if (args is ["worker", var n] && int.TryParse(n, CultureInfo.InvariantCulture, out var workerCount))
{
    // The child: one blocking thread per download, where the main process cannot see them.
    var threads = new List<Thread>();
    for (var i = 1; i <= workerCount; i++)
    {
        var name = $"file-{i}";
        var thread = new Thread(() => Kata.Download(name), maxStackSize: 64 * 1024);
        threads.Add(thread);
        thread.Start();
    }
    foreach (var thread in threads)
    {
        thread.Join();
    }
    return 0;
}

if (args.Length != 1 || !int.TryParse(args[0], CultureInfo.InvariantCulture, out var count) || count < 1)
{
    Console.Error.WriteLine("usage: async-downloads <count>");
    return 2;
}

var clock = Stopwatch.StartNew();
using (
    var child =
        Process.Start(Kata.WorkerStartInfo("worker", count.ToString(CultureInfo.InvariantCulture)))
        ?? throw new InvalidOperationException("The worker did not start.")
)
{
    await child.WaitForExitAsync();
}
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"total {clock.Elapsed.TotalSeconds:0.00} s"));
return 0;
