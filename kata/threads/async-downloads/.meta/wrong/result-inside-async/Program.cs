using System.Diagnostics;
using System.Globalization;

if (args.Length != 1 || !int.TryParse(args[0], CultureInfo.InvariantCulture, out var count) || count < 1)
{
    Console.Error.WriteLine("usage: async-downloads <count>");
    return 2;
}

var clock = Stopwatch.StartNew();
var downloads = new List<Task<string>>();
for (var i = 1; i <= count; i++)
{
    // .Result blocks until this download is over; Task.FromResult only wraps the finished value.
    downloads.Add(Task.FromResult(DownloadAsync($"file-{i}").Result));
}

var names = await Task.WhenAll(downloads);
Console.WriteLine($"downloaded {names.Length} files");
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"total {clock.Elapsed.TotalSeconds:0.00} s"));
return 0;

static async Task<string> DownloadAsync(string name)
{
    await Kata.DownloadAsync(name);
    return name;
}
