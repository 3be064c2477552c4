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

// TODO: start `threads` threads (new Thread(...), then Start()); each one calls DepositOnce once.
// For now the main thread makes every deposit itself, one after another.
for (var i = 0; i < threads; i++)
{
    DepositOnce(account, safe, amount);
}

// TODO: wait for every thread you started (Join) before printing the balance.
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"balance {account.Balance}"));
return 0;

static void DepositOnce(Account account, bool safe, int amount)
{
    // TODO: when the verifier makes Kata.CriticalWork fail once (SimulatedFailureException), catch it
    // here and make the deposit again, so the balance still ends exact.
    if (safe)
    {
        account.Deposit(amount);
    }
    else
    {
        account.DepositUnsafe(amount);
    }
}

sealed class Account
{
    public long Balance { get; private set; }

    // Leave this one as it is: it shows the lost update.
    public void DepositUnsafe(int amount)
    {
        var read = Balance;
        Kata.CriticalWork("deposit");
        Balance = read + amount;
    }

    public void Deposit(int amount)
    {
        // TODO: let only one thread at a time read, work and write: protect these three lines with a lock.
        var read = Balance;
        Kata.CriticalWork("deposit");
        Balance = read + amount;
    }
}
