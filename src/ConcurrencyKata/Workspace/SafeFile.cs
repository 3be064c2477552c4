using System.Globalization;

namespace ConcurrencyKata.Workspace;

/// <summary>
/// Every file kata writes for a learner or a teacher is written under a temporary name in the same
/// folder and then renamed over the old one: a write that fails (a full disk, a read-only folder)
/// leaves the old file whole, removes the temporary one, and is reported in one sentence (exit 3),
/// never as a stack trace and never blamed on the learner's code.
/// </summary>
public static class SafeFile
{
    public static void WriteText(string path, string text) => Write(path, System.Text.Encoding.UTF8.GetBytes(text));

    public static void Write(string path, ReadOnlySpan<byte> bytes)
    {
        ArgumentNullException.ThrowIfNull(path);
        var temp = $"{path}.{Guid.NewGuid().ToString("N")[..8]}.tmp";
        try
        {
            var folder = Path.GetDirectoryName(Path.GetFullPath(path));
            if (folder is not null)
            {
                Directory.CreateDirectory(folder);
            }
            using (var file = new FileStream(temp, FileMode.CreateNew, FileAccess.Write))
            {
                file.Write(bytes);
                file.Flush(flushToDisk: false);
            }
            File.Move(temp, path, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            TryDelete(temp);
            throw Failure(path, e);
        }
    }

    /// <summary>Copies <paramref name="source"/> to a new file beside it named <c>&lt;name&gt;.&lt;time&gt;.bak</c>, never over an older backup.</summary>
    /// <returns>The backup's path.</returns>
    public static string Backup(string source, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(source);
        var stamp = now.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture);
        var bytes = File.ReadAllBytes(source);
        for (var n = 1; ; n++)
        {
            var backup =
                n == 1 ? $"{source}.{stamp}.bak" : $"{source}.{stamp}-{n.ToString(CultureInfo.InvariantCulture)}.bak";
            if (File.Exists(backup))
            {
                continue;
            }
            var temp = $"{backup}.{Guid.NewGuid().ToString("N")[..8]}.tmp";
            try
            {
                File.WriteAllBytes(temp, bytes);
                // No overwrite: a backup made in the same second by another kata is never replaced.
                File.Move(temp, backup, overwrite: false);
                return backup;
            }
            catch (IOException) when (File.Exists(backup))
            {
                TryDelete(temp);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                TryDelete(temp);
                throw Failure(backup, e);
            }
        }
    }

    /// <summary>"Could not write X: the disk is full. …" as an expected problem (exit 3).</summary>
    public static KataException Failure(string path, Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        return new KataException(
            $"Could not write {path}: {Reason(exception)}. Nothing was lost: the file, if it existed, is as it was. "
                + "This is a problem of the machine, not of your code.",
            ExitCodes.CouldNotWrite
        );
    }

    /// <summary>The cause of a failed write in a few words.</summary>
    public static string Reason(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        var message = exception.Message;
        return message.Contains("No space left", StringComparison.OrdinalIgnoreCase)
            || message.Contains("disk full", StringComparison.OrdinalIgnoreCase)
            || message.Contains("not enough space", StringComparison.OrdinalIgnoreCase)
                ? "the disk is full"
            : message.Contains("Read-only file system", StringComparison.OrdinalIgnoreCase)
                ? "the file system is read-only"
            : message.Contains("quota", StringComparison.OrdinalIgnoreCase) ? "the disk quota is used up"
            : exception is UnauthorizedAccessException ? "permission denied"
            : message.TrimEnd('.');
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { }
    }
}
