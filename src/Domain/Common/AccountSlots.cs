namespace PartnerAccounts.Domain.Common;

/// <summary>
/// Numbered places per account (1 to a limit) that cap how many of a thing an account holds (API keys, webhooks): each one
/// holds a place, unique per account, so two creations racing for the last place cannot both commit, whichever database runs
/// the service. Deleting one frees its place.
/// </summary>
public static class AccountSlots
{
    /// <summary>A random free place (concurrent creations then rarely collide), or null when all <paramref name="limit"/> are taken.</summary>
    public static int? PickFree(IReadOnlyCollection<int> taken, int limit)
    {
        int[] free = [.. Enumerable.Range(1, limit).Except(taken)];
        return free.Length == 0 ? null : free[Random.Shared.Next(free.Length)];
    }

    /// <summary>The place, when it is one of the <paramref name="limit"/>.</summary>
    public static int Checked(int slot, int limit) =>
        slot >= 1 && slot <= limit ? slot : throw new ArgumentOutOfRangeException(nameof(slot), slot, $"A place is 1 to {limit}.");
}
