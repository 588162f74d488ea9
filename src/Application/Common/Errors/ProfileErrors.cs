using PartnerAccounts.Domain.Common;

namespace PartnerAccounts.Application.Common.Errors;

/// <summary>Errors shared by the versioned resources of an account.</summary>
public static class ProfileErrors
{
    public static readonly Error NotFound = Error.NotFound("resource_not_found", "The resource does not exist.");

    public static readonly Error EtagMismatch = new(ErrorKind.PreconditionFailed, "etag_mismatch", "The resource has changed since you read it; read it again and retry with its current ETag.");
}
