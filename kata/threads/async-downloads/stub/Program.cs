// Exercise 11: async-downloads. Instructions: README.md (English) / README.zh-CN.md (简体中文).
// Run it by hand:  dotnet run -- 1000
using System.Globalization;

if (args.Length != 1 || !int.TryParse(args[0], CultureInfo.InvariantCulture, out var count) || count < 1)
{
    Console.Error.WriteLine("usage: async-downloads <count>");
    return 2;
}

// TODO: start a Stopwatch before the first download starts.

for (var i = 1; i <= count; i++)
{
    var name = $"file-{i}";
    // TODO: start the download of name with Kata.DownloadAsync(name) and keep the Task it returns
    //       in a list. Do not await it here: the next download must start at once.
}

// TODO: await Task.WhenAll(...) with every download's task, and only then print the total.

// TODO: print the measured total as "total <seconds> s", for example "total 1.32 s".
Console.WriteLine("total 0.00 s");
return 0;
