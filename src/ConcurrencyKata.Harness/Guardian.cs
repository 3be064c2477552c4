using System.Diagnostics;

namespace ConcurrencyKata.Harness;

/// <summary>
/// A small watchdog process, started once per process that runs programs, that ends what those runs
/// left behind however this process ends. This process tells it, line by line on its standard input,
/// what each run consists of (cgroups, its session, its marker) and which folders are temporary; the
/// guardian keeps the list. When its input ends (this process exited, crashed or was killed with
/// SIGKILL: the kernel closes the pipe) or when <see cref="EndEverything"/> asks, it kills every
/// process in those cgroups, sessions and with those markers, removes the cgroups and deletes the
/// folders. It runs in a session of its own with a clean environment, ignores the terminal's
/// signals, and no program inherits its pipe (the pipe is close-on-exec). A run that ends normally
/// takes itself off the list first, so the guardian never touches anything after it is over.
/// </summary>
public static class Guardian
{
    private const string SetsidPath = "/usr/bin/setsid";
    private const string ShellPath = "/bin/sh";

    // POSIX sh. Lists are newline-separated; "drop" removes one item. At the end, three rounds of
    // kills (a fork racing the first round is caught by the next), then the empty cgroups go.
    private const string Script = """
        trap '' INT TERM HUP QUIT PIPE
        exec >/dev/null 2>&1
        nl='
        '
        groups= sessions= markers= dirs= procs=
        drop() { out=; IFS=$nl; for x in $1; do [ "$x" = "$2" ] || out="$out$x$nl"; done; unset IFS; printf '%s' "$out"; }
        droprun() { out=; IFS=$nl; for x in $1; do case $x in "$2 "*) ;; *) out="$out$x$nl" ;; esac; done; unset IFS; printf '%s' "$out"; }
        while IFS= read -r line; do
          v=${line#* }
          case $line in
            "+group "*) groups="$groups$v$nl" ;;
            "-group "*) groups=$(drop "$groups" "$v") ;;
            "+session "*) sessions="$sessions$v$nl" ;;
            "-session "*) sessions=$(drop "$sessions" "$v") ;;
            "+marker "*) markers="$markers$v$nl" ;;
            "-marker "*) markers=$(drop "$markers" "$v") ;;
            "+dir "*) dirs="$dirs$v$nl" ;;
            "-dir "*) dirs=$(drop "$dirs" "$v") ;;
            "+proc "*) procs="$procs$v$nl" ;;
            "-run "*) procs=$(droprun "$procs" "$v") ;;
            end) break ;;
          esac
        done
        IFS=$nl
        for round in 1 2 3; do
          for g in $groups; do
            [ -e "$g/cgroup.kill" ] && echo 1 > "$g/cgroup.kill"
            [ -r "$g/cgroup.procs" ] && while read -r p; do kill -KILL "$p"; done < "$g/cgroup.procs"
          done
          for s in $sessions; do kill -KILL -"$s"; done
          for e in $procs; do
            IFS=' '; set -- $e; IFS=$nl
            # The pid is killed only while it is still the process that was seen (same start time).
            if read -r st < "/proc/$2/stat"; then
              st=${st##*) }; IFS=' '; set -- $e $st; IFS=$nl
              [ "${23}" = "$3" ] && kill -KILL "$2"
            fi
          done
          for m in $markers; do
            for f in $(grep -lsFxz -e "$m" /proc/[0-9]*/environ); do p=${f#/proc/}; kill -KILL "${p%/environ}"; done
          done
          [ -n "$groups$sessions$markers$procs" ] && sleep 0.05
        done
        for g in $groups; do
          i=0
          while [ -d "$g" ] && ! rmdir "$g" && [ $i -lt 40 ]; do sleep 0.025; i=$((i+1)); done
        done
        for d in $dirs; do rm -rf -- "$d"; done
        """;

    private static readonly Lock Gate = new();
    private static System.Diagnostics.Process? _process;
    private static StreamWriter? _input;
    private static bool _ended;

    /// <summary>The guardian's pid while there is one.</summary>
    internal static int? Pid
    {
        get
        {
            lock (Gate)
            {
                return _process?.Id;
            }
        }
    }

    /// <summary>Why there is no guardian (not Linux, no shell); null while there is one or none was needed yet.</summary>
    public static string? Unavailable { get; private set; }

    /// <summary>Puts a cgroup (its directory) on the list; disposing takes it off.</summary>
    public static IDisposable Group(string directory) => Watch("group", directory);

    /// <summary>Puts a session (or process group) on the list by its leader's pid.</summary>
    public static IDisposable Session(int leader) =>
        Watch("session", leader.ToString(System.Globalization.CultureInfo.InvariantCulture));

    /// <summary>Puts an environment entry (NAME=value) on the list: every process carrying it is killed.</summary>
    public static IDisposable Marker(string entry) => Watch("marker", entry);

    /// <summary>
    /// Puts a process of the run with marker <paramref name="run"/> on the list by pid and start time
    /// (clock ticks since boot): it is killed only while that pid is still that process. Disposing the
    /// entry of <see cref="Run"/> takes all of the run's processes off at once.
    /// </summary>
    public static void Process(string run, int pid, long startTicks) =>
        Send(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"+proc {run} {pid} {startTicks}"));

    /// <summary>Takes every process of the run off the list when disposed (see <see cref="Process"/>).</summary>
    public static IDisposable Run(string run) => new Entry($"-run {run}");

    /// <summary>Puts a temporary folder on the list: it is deleted, with everything in it.</summary>
    public static IDisposable Folder(string path) => Watch("dir", Path.GetFullPath(path));

    /// <summary>
    /// Ends everything on the list now (for SIGINT and SIGTERM) and waits up to <paramref name="wait"/>
    /// for the guardian to finish. Later calls to the list do nothing.
    /// </summary>
    /// <returns>True when the guardian finished (or there was nothing to end).</returns>
    public static bool EndEverything(TimeSpan wait)
    {
        System.Diagnostics.Process? process;
        lock (Gate)
        {
            _ended = true;
            process = _process;
            if (process is null || _input is null)
            {
                return true;
            }
            try
            {
                _input.WriteLine("end");
                _input.Flush();
            }
            catch (IOException) { }
        }
        try
        {
            return process.WaitForExit(wait);
        }
        catch (InvalidOperationException)
        {
            return true;
        }
    }

    private static Entry Watch(string kind, string value)
    {
        if (value.Contains('\n', StringComparison.Ordinal))
        {
            throw new ArgumentException("A guarded value is one line.", nameof(value));
        }
        return Send($"+{kind} {value}") ? new Entry($"-{kind} {value}") : Entry.None;
    }

    private static bool Send(string line)
    {
        lock (Gate)
        {
            if (_ended || !EnsureStarted())
            {
                return false;
            }
            try
            {
                _input!.WriteLine(line);
                _input.Flush();
                return true;
            }
            catch (IOException)
            {
                // The guardian is gone (someone killed it): runs are still ended by this process itself.
                Unavailable = "the guardian process ended early";
                _input = null;
                _process = null;
                return false;
            }
        }
    }

    private static bool EnsureStarted()
    {
        if (_input is not null)
        {
            return true;
        }
        if (!OperatingSystem.IsLinux() || !File.Exists(ShellPath))
        {
            Unavailable = "a guardian needs Linux and /bin/sh";
            return false;
        }
        var start = new ProcessStartInfo(File.Exists(SetsidPath) ? SetsidPath : ShellPath)
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = "/",
        };
        if (File.Exists(SetsidPath))
        {
            start.ArgumentList.Add(ShellPath);
        }
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(Script);
        start.ArgumentList.Add("kata-guardian");
        // No marker of a run or of a grading: a sweep for those must not end the guardian itself.
        start.Environment.Clear();
        start.Environment["PATH"] = "/usr/sbin:/usr/bin:/sbin:/bin";
        try
        {
            _process = System.Diagnostics.Process.Start(start);
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            Unavailable = $"cannot start the guardian: {e.Message}";
            return false;
        }
        if (_process is null)
        {
            return false;
        }
        _input = _process.StandardInput;
        _input.AutoFlush = false;
        Unavailable = null;
        return true;
    }

    private sealed class Entry(string? removal) : IDisposable
    {
        public static readonly Entry None = new(null);
        private string? _removal = removal;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _removal, null) is { } line)
            {
                Send(line);
            }
        }
    }
}
