using PartnerAccounts.Application.Common.Telemetry;
using PartnerAccounts.Domain.Common;

namespace PartnerAccounts.Application.MpnVerification;

public readonly record struct VerifiedPartner(string MpnId, string PartnerName);

public static class MpnVerificationErrors
{
    public static readonly Error InvalidMpnId = Error.Validation(
        "invalid_mpn_id",
        "An MPN ID is 1 to 10 digits.",
        new Dictionary<string, string[]> { ["mpnId"] = ["An MPN ID is 1 to 10 digits."] });

    public static readonly Error NotFound = Error.NotFound("mpn_id_not_found", "No partner holds this MPN ID.");
}

/// <summary>
/// "Verify a partner MPN ID", the hottest path of the service. It is not a Mediator message on purpose: the pipeline's
/// account authorization (a database round trip) does not apply to a public lookup that any authenticated caller may make,
/// and the request must cost no more than a cache lookup. An unknown ID is a normal result, never an exception, and costs
/// the same as a known one.
/// </summary>
public sealed class MpnVerifier(IMpnDirectory directory)
{
    public ValueTask<Result<VerifiedPartner>> VerifyAsync(string? mpnId, CancellationToken cancellationToken)
    {
        if (!MpnIdentifier.IsValid(mpnId))
        {
            PartnerAccountsMetrics.MpnVerification(PartnerAccountsMetrics.Outcomes.Invalid);
            return ValueTask.FromResult(Result<VerifiedPartner>.Failure(MpnVerificationErrors.InvalidMpnId));
        }

        var lookup = directory.FindPartnerNameAsync(mpnId!, cancellationToken);
        return lookup.IsCompletedSuccessfully
            ? ValueTask.FromResult(ResultOf(mpnId!, lookup.Result))
            : AwaitLookupAsync(mpnId!, lookup);
    }

    private static async ValueTask<Result<VerifiedPartner>> AwaitLookupAsync(string mpnId, ValueTask<string?> lookup) =>
        ResultOf(mpnId, await lookup);

    private static Result<VerifiedPartner> ResultOf(string mpnId, string? partnerName)
    {
        PartnerAccountsMetrics.MpnVerification(partnerName is null ? PartnerAccountsMetrics.Outcomes.NotFound : PartnerAccountsMetrics.Outcomes.Verified);
        return partnerName is null ? MpnVerificationErrors.NotFound : new VerifiedPartner(mpnId, partnerName);
    }
}
