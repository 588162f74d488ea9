using System.Threading.Channels;

namespace PartnerAccounts.Infrastructure.Caching;

/// <summary>
/// Wakes the cache change feed before its next poll: a notification arrived (another node committed a change), or the listener
/// (re)connected and may have missed some. Pokes coalesce: many before a poll cause one poll.
/// </summary>
public sealed class CacheChangeSignal
{
    private readonly Channel<bool> _pokes = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });

    public void Poke() => _pokes.Writer.TryWrite(true);

    /// <summary>Returns when poked or when <paramref name="timeout"/> has passed, whichever comes first.</summary>
    public async Task WaitAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        if (_pokes.Reader.TryRead(out _))
        {
            return;
        }

        using var wait = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        wait.CancelAfter(timeout);
        try
        {
            await _pokes.Reader.ReadAsync(wait.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // the timeout: poll anyway
        }
    }
}
