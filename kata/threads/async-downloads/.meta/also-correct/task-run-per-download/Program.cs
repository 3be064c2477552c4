// Each download is started from the thread pool (Task.Run with an async lambda) and reports the thread
// its continuation ran on: still a handful of threads, because a waiting download holds none of them.
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;

if (args.Length != 1 || !int.TryParse(args[0], CultureInfo.InvariantCulture, out var count) || count < 1)
{
    Console.Error.WriteLine("usage: async-downloads <count>");
    return 2;
}

var clock = Stopwatch.StartNew();
var continuedOn = new ConcurrentDictionary<int, int>();
var downloads = Enumerable
    .Range(1, count)
    .Select(i =>
        Task.Run(async () =>
        {
            await Kata.DownloadAsync($"file-{i}");
            continuedOn.AddOrUpdate(Environment.CurrentManagedThreadId, 1, (_, n) => n + 1);
        })
    )
    .ToList();

await Task.WhenAll(downloads);
var elapsed = clock.Elapsed;
Console.WriteLine($"{count} downloads continued on {continuedOn.Count} different threads");
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"total {elapsed.TotalSeconds:0.00} s"));
return 0;
