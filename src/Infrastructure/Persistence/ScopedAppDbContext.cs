namespace PartnerAccounts.Infrastructure.Persistence;

/// <summary>
/// The one holder of a DI scope's pooled context: the scope disposes this once, and this gives the context back to the pool
/// once (the context ignores the scope's other disposals, see <see cref="AppDbContext.Dispose"/>). Registered before the
/// context is resolved from it, so the scope disposes it after every service type the context was resolved as.
/// </summary>
public sealed class ScopedAppDbContext : IDisposable, IAsyncDisposable
{
    public ScopedAppDbContext(AppDbContext context)
    {
        context.HeldByScope();
        Context = context;
    }

    public AppDbContext Context { get; }

    public void Dispose() => Context.ReleaseFromScope();

    public ValueTask DisposeAsync() => Context.ReleaseFromScopeAsync();
}
