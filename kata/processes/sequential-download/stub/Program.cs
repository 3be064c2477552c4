// Exercise 1: sequential-download. Instructions: README.md (English) / README.zh-CN.md (简体中文).
// Run it by hand:  dotnet run -- report.pdf photo.jpg
using System.Diagnostics;

// TODO: start a Stopwatch before the first download.

foreach (var name in args)
{
    // TODO: print "start <name>", download it with Kata.Download(name), then print "finish <name>".
}

// TODO: print the measured total as "total <seconds> s", for example "total 2.41 s".
Console.WriteLine("total 0.00 s");
