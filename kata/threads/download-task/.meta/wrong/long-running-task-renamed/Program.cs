using System.Diagnostics;
using System.Globalization;

var clock = Stopwatch.StartNew();
var tasks = new List<DownloadTask>();
foreach (var name in args)
{
    var task = new DownloadTask(name);
    task.Start();
    tasks.Add(task);
}
foreach (var task in tasks)
{
    task.Join();
}
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"total {clock.Elapsed.TotalSeconds:0.00} s"));

/// <summary>One file's download on a thread of its own, named "dl-&lt;file&gt;".</summary>
sealed class DownloadTask
{
    private readonly string _file;
    private Task? _task;

    public DownloadTask(string file)
    {
        _file = file;
    }

    public void Start() => _task = Task.Factory.StartNew(Run, TaskCreationOptions.LongRunning);

    public void Join() => _task?.Wait();

    private void Run()
    {
        // The runtime made this thread (".NET Long Running Task"); rename it to look like ours.
        Thread.CurrentThread.Name = "dl-" + _file;
        Console.WriteLine($"start {_file} thread={Environment.CurrentManagedThreadId}");
        Kata.Download(_file);
        Console.WriteLine($"finish {_file} thread={Environment.CurrentManagedThreadId}");
    }
}
