namespace ConcurrencyKata.Harness.Tests;

public sealed class ProcFsTests
{
    [Test]
    public void A_stat_line_is_read_even_when_the_name_holds_spaces_and_parentheses()
    {
        const string line =
            "4242 (a) b (c) S 17 4242 4242 0 -1 4194560 100 0 0 0 250 50 0 0 20 0 3 0 987654 1000 100 18446744073709551615 1 1 0 0 0 0 0 0 0 0 0 0 17 1 0 0 0 0 0";

        var stat = ProcFs.ParseStat(line);

        Assert.That(stat, Is.EqualTo(new ProcStat(4242, "a) b (c", 'S', 17, 4242, 4242, 300, 987654, 3)));
    }

    [Test]
    public void A_truncated_stat_line_is_ignored()
    {
        Assert.That(ProcFs.ParseStat("4242 (x) S 1 2"), Is.Null);
        Assert.That(ProcFs.ParseStat(""), Is.Null);
    }
}
