using PartnerAccounts.Application.Common.Telemetry;
using PartnerAccounts.Domain.Common;

namespace PartnerAccounts.Application.MpnVerification;

public readonly record struct VerifiedPartner(string MpnId, string PartnerName);

public enum MpnVerificationStatus
{
    Verified,
    NotFound,
    Invalid,
}

/// <summary>One item of a bulk verification: the ID as sent, its status, and the partner name when it verified.</summary>
public readonly record struct MpnVerificationItem(string MpnId, MpnVerificationStatus Status, string? PartnerName);

/// <summary>An answer and the budget figures it reports (<c>RateLimit-*</c>), refusals included.</summary>
public readonly record struct Budgeted<T>(Result<T> Result, BudgetFigures Budget);

public static class MpnVerificationErrors
{
    public const int MaxBulkIds = 1000;

    /// <summary>The longest string a bulk request may send as an ID (longer ones are no candidate for an MPN ID at all).</summary>
    public const int MaxBulkIdLength = 64;

    public static readonly Error InvalidMpnId = Error.Validation(
        "invalid_mpn_id",
        "An MPN ID is 1 to 10 digits.",
        new Dictionary<string, string[]> { ["mpnId"] = ["An MPN ID is 1 to 10 digits."] });

    public static readonly Error NotFound = Error.NotFound("mpn_id_not_found", "No partner holds this MPN ID.");

    public static readonly Error BulkSize = Error.Validation(
        "validation_failed",
        $"Send 1 to {MaxBulkIds} MPN IDs, each a string of at most {MaxBulkIdLength} characters.",
        new Dictionary<string, string[]> { ["mpnIds"] = [$"Send 1 to {MaxBulkIds} MPN IDs, each a string of at most {MaxBulkIdLength} characters."] });
}

/// <summary>
/// "Verify a partner MPN ID", the hottest path of the service, alone and in bulk. It is not a Mediator message on purpose:
/// the pipeline's account authorization (a database round trip) does not apply to a public lookup that any authenticated
/// caller may make, and the request must cost no more than a cache lookup and the budget's counters. An unknown ID is a
/// normal result, never an exception, and costs the same as a known one.
/// </summary>
public sealed class MpnVerifier(IMpnDirectory directory, VerificationBudgets budgets)
{
    /// <summary>Verifies one ID for the budget <paramref name="budgetKey"/>: refused while either budget is used up, else charged to one.</summary>
    public async ValueTask<Budgeted<VerifiedPartner>> VerifyAsync(string budgetKey, string? mpnId, CancellationToken cancellationToken)
    {
        var counts = budgets.Current(budgetKey);
        if (!budgets.HasRoom(counts))
        {
            return Refused<VerifiedPartner>(counts);
        }

        if (!MpnIdentifier.IsValid(mpnId))
        {
            PartnerAccountsMetrics.MpnVerification(PartnerAccountsMetrics.Outcomes.Invalid);
            budgets.Charge(counts, 0, 1);
            return new(MpnVerificationErrors.InvalidMpnId, budgets.Figures(counts, hits: false, misses: true));
        }

        var lookup = directory.FindPartnerNameAsync(mpnId!, cancellationToken);
        var partnerName = lookup.IsCompletedSuccessfully ? lookup.Result : await lookup;
        if (partnerName is null)
        {
            PartnerAccountsMetrics.MpnVerification(PartnerAccountsMetrics.Outcomes.NotFound);
            budgets.Charge(counts, 0, 1);
            return new(MpnVerificationErrors.NotFound, budgets.Figures(counts, hits: false, misses: true));
        }

        PartnerAccountsMetrics.MpnVerification(PartnerAccountsMetrics.Outcomes.Verified);
        budgets.Charge(counts, 1, 0);
        return new(new VerifiedPartner(mpnId!, partnerName), budgets.Figures(counts, hits: true, misses: false));
    }

    /// <summary>
    /// Verifies 1 to <see cref="MpnVerificationErrors.MaxBulkIds"/> IDs, answers in request order, each counted as one
    /// verification. A batch that either budget cannot cover is refused whole (429) and uses that budget up.
    /// </summary>
    public async ValueTask<Budgeted<IReadOnlyList<MpnVerificationItem>>> VerifyManyAsync(
        string budgetKey, IReadOnlyList<string?>? mpnIds, CancellationToken cancellationToken)
    {
        var counts = budgets.Current(budgetKey);
        if (mpnIds is null || mpnIds.Count is 0 or > MpnVerificationErrors.MaxBulkIds || mpnIds.Any(id => id is null || id.Length > MpnVerificationErrors.MaxBulkIdLength))
        {
            return new(MpnVerificationErrors.BulkSize, budgets.Figures(counts, hits: true, misses: true));
        }

        if (!budgets.HasRoom(counts))
        {
            return Refused<IReadOnlyList<MpnVerificationItem>>(counts);
        }

        var items = new MpnVerificationItem[mpnIds.Count];
        var hits = 0;
        for (var i = 0; i < items.Length; i++)
        {
            var mpnId = mpnIds[i];
            if (!MpnIdentifier.IsValid(mpnId))
            {
                items[i] = new(mpnId!, MpnVerificationStatus.Invalid, null);
                continue;
            }

            var lookup = directory.FindPartnerNameAsync(mpnId!, cancellationToken);
            var partnerName = lookup.IsCompletedSuccessfully ? lookup.Result : await lookup;
            items[i] = partnerName is null ? new(mpnId!, MpnVerificationStatus.NotFound, null) : new(mpnId!, MpnVerificationStatus.Verified, partnerName);
            hits += partnerName is null ? 0 : 1;
        }

        var misses = items.Length - hits;
        if (!budgets.TryCharge(counts, hits, misses))
        {
            return Refused<IReadOnlyList<MpnVerificationItem>>(counts);
        }

        return new(Result<IReadOnlyList<MpnVerificationItem>>.Success(items), budgets.Figures(counts, hits > 0, misses > 0));
    }

    private Budgeted<T> Refused<T>(BudgetWindow counts)
    {
        PartnerAccountsMetrics.RateLimitRejection("mpn-verification");
        return new(VerificationBudgets.Exhausted(budgets.RetryAfter()), budgets.RefusalFigures(counts));
    }
}
