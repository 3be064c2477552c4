// Exercise 8: download-task. Instructions: README.md (English) / README.zh-CN.md (简体中文).
// Run it by hand:  dotnet run -- report.pdf photo.jpg

// TODO: start a Stopwatch before the first DownloadTask is created.

foreach (var name in args)
{
    // TODO: create a DownloadTask for this file, Start it, and keep it in a list.
}

// TODO: Join every DownloadTask, and only then print the total.

// TODO: print the measured total as "total <seconds> s", for example "total 1.32 s".
Console.WriteLine("total 0.00 s");

/// <summary>One file's download on a thread of its own. Thread is sealed in .NET: this class owns one instead.</summary>
sealed class DownloadTask
{
    private readonly string _file;

    public DownloadTask(string file)
    {
        _file = file;
        // TODO: create the thread here, without starting it: it runs Run and is named "dl-<file>",
        //       for example "dl-report.pdf". Keep it in a field.
    }

    public void Start()
    {
        // TODO: start the thread.
    }

    public void Join()
    {
        // TODO: wait until the thread has finished.
    }

    private void Run()
    {
        // TODO: print "start <name> thread=<id>", download the file with Kata.Download(_file), then print
        //       "finish <name> thread=<id>". Environment.CurrentManagedThreadId is the id of the current thread.
    }
}
