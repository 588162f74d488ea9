using PartnerAccounts.Application.Common.Abstractions;
using PartnerAccounts.Application.Common.Errors;
using PartnerAccounts.Domain.Common;

namespace PartnerAccounts.Application.Common.Persistence;

/// <summary>
/// The one retry loop for a save that can lose a race it would win on a second try: the use case stages its changes, the
/// save fails with a known code, everything tracked is forgotten and the use case stages again from what is stored now.
/// </summary>
public static class SaveRetries
{
    public const int Attempts = 5;

    /// <summary>A unique key was taken at the same time (for example a random MPN ID); fresh values win the retry.</summary>
    public const string UniqueConflict = "unique_conflict";

    /// <summary>A concurrency token moved at the same time; staging again re-reads it and re-checks every rule.</summary>
    public static readonly string ConcurrencyConflict = ProfileErrors.EtagMismatch.Code;

    /// <summary>
    /// Runs <paramref name="stage"/> (which adds or changes entities and returns the value to hand back) and saves, retrying
    /// up to <see cref="Attempts"/> times while the save fails with <paramref name="retryOn"/>. A failure of the stage itself
    /// is returned at once.
    /// </summary>
    public static Task<Result<T>> SaveWithRetriesAsync<T>(
        this IAppDbContext db, Func<CancellationToken, Task<Result<T>>> stage, string retryOn, CancellationToken cancellationToken, int attempts = Attempts) =>
        db.SaveWithRetriesAsync(stage, [retryOn], cancellationToken, attempts);

    /// <summary>The same, retrying on any of several codes (for example a unique key and a concurrency token racing in one save).</summary>
    public static async Task<Result<T>> SaveWithRetriesAsync<T>(
        this IAppDbContext db, Func<CancellationToken, Task<Result<T>>> stage, IReadOnlyCollection<string> retryOn, CancellationToken cancellationToken,
        int attempts = Attempts)
    {
        for (var attempt = 1; ; attempt++)
        {
            var staged = await stage(cancellationToken);
            if (!staged.IsSuccess)
            {
                return staged;
            }

            var saved = await db.SaveAsync(cancellationToken);
            if (saved.IsSuccess)
            {
                return staged;
            }

            db.Reset();
            if (attempt >= attempts || !retryOn.Contains(saved.Error!.Code))
            {
                return saved.Error!;
            }
        }
    }
}
