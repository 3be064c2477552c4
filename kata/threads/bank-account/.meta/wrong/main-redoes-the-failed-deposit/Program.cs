// Exercise 9: bank-account. Instructions: README.md (English) / README.zh-CN.md (简体中文).
// Run it by hand:  dotnet run -- unsafe 100 1   then   dotnet run -- safe 100 1
using System.Globalization;

if (
    args.Length != 3
    || args[0] is not ("safe" or "unsafe")
    || !int.TryParse(args[1], CultureInfo.InvariantCulture, out var threads)
    || !int.TryParse(args[2], CultureInfo.InvariantCulture, out var amount)
    || threads < 1
)
{
    Console.Error.WriteLine("usage: bank-account <safe|unsafe> <threads> <amount>");
    return 2;
}

var account = new Account();
var safe = args[0] == "safe";
var failed = 0;
var workers = new List<Thread>();
for (var i = 0; i < threads; i++)
{
    var worker = new Thread(() =>
    {
        if (!DepositOnce(account, safe, amount))
        {
            Interlocked.Increment(ref failed);
        }
    });
    workers.Add(worker);
    worker.Start();
}
foreach (var worker in workers)
{
    worker.Join();
}

// Deposits that failed are made again here, by the main thread.
for (var i = 0; i < failed; i++)
{
    Console.WriteLine("deposit failed, making it again");
    account.Deposit(amount);
}
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"balance {account.Balance}"));
return 0;

// A failed deposit changed nothing (the new balance was never written), so it is simply tried again.
static bool DepositOnce(Account account, bool safe, int amount)
{
    try
    {
        if (safe)
        {
            account.Deposit(amount);
        }
        else
        {
            account.DepositUnsafe(amount);
        }
        return true;
    }
    catch (SimulatedFailureException)
    {
        return false;
    }
}

sealed class Account
{
    private readonly object _gate = new();

    public long Balance { get; private set; }

    public void DepositUnsafe(int amount)
    {
        var read = Balance;
        Kata.CriticalWork("deposit");
        Balance = read + amount;
    }

    public void Deposit(int amount)
    {
        lock (_gate)
        {
            var read = Balance;
            Kata.CriticalWork("deposit");
            Balance = read + amount;
        }
    }
}
