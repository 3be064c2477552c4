// Exercise 11: async-downloads. Instructions: README.md (English) / README.zh-CN.md (简体中文).
// Run it by hand:  dotnet run -- 1000
using System.Diagnostics;
using System.Globalization;

if (args.Length != 1 || !int.TryParse(args[0], CultureInfo.InvariantCulture, out var count) || count < 1)
{
    Console.Error.WriteLine("usage: async-downloads <count>");
    return 2;
}

var clock = Stopwatch.StartNew();

// At most 200 downloads in flight: wait for a wave before starting the next one.
for (var first = 1; first <= count; first += 200)
{
    var downloads = new List<Task>();
    for (var i = first; i <= Math.Min(count, first + 199); i++)
    {
        var name = $"file-{i}";
        downloads.Add(Kata.DownloadAsync(name));
    }

    await Task.WhenAll(downloads);
}
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"total {clock.Elapsed.TotalSeconds:0.00} s"));
return 0;
