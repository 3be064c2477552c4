// Exercise 7: thread-download. Instructions: README.md (English) / README.zh-CN.md (简体中文).
// Run it by hand:  dotnet run -- report.pdf photo.jpg

// TODO: start a Stopwatch before the first thread starts.

foreach (var name in args)
{
    // What the thread for this file must run:
    ThreadStart work = () => Download(name);
    // TODO: create one new Thread per file that runs work, start it, and keep it in a list.
    //       Do not wait for it here: the next thread must start at once.
}

// TODO: wait for every thread (Join), and only then print the total.

// TODO: print the measured total as "total <seconds> s", for example "total 1.32 s".
Console.WriteLine("total 0.00 s");

static void Download(string name)
{
    // TODO: print "start <name> thread=<id>", download the file with Kata.Download(name), then print
    //       "finish <name> thread=<id>". Environment.CurrentManagedThreadId is the id of the current thread.
}
