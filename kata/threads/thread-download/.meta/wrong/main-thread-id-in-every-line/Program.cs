using System.Diagnostics;
using System.Globalization;

var clock = Stopwatch.StartNew();
var threads = new List<Thread>();
foreach (var name in args)
{
    // Read "the thread's id" here, before the thread exists: this is the main thread's id.
    var id = Environment.CurrentManagedThreadId;
    var thread = new Thread(() => Download(name, id));
    thread.Start();
    threads.Add(thread);
}
foreach (var thread in threads)
{
    thread.Join();
}
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"total {clock.Elapsed.TotalSeconds:0.00} s"));

static void Download(string name, int id)
{
    Console.WriteLine($"start {name} thread={id}");
    Kata.Download(name);
    Console.WriteLine($"finish {name} thread={id}");
}
