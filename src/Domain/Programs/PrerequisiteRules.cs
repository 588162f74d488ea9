using PartnerAccounts.Domain.Accounts;
using PartnerAccounts.Domain.Common;

namespace PartnerAccounts.Domain.Programs;

/// <summary>What the prerequisite rules look at: the account's verification and the status of each of its enrollments.</summary>
public sealed record EnrollmentFacts(VerificationStatus Verification, IReadOnlyDictionary<string, EnrollmentStatus> Enrollments)
{
    public bool IsActive(string programId) => Enrollments.TryGetValue(programId, out var status) && status == EnrollmentStatus.Active;

    public bool IsLive(string programId) => Enrollments.TryGetValue(programId, out var status) && Enrollment.IsLiveStatus(status);
}

/// <summary>A prerequisite that does not hold, with a message saying what to do about it.</summary>
public sealed record MissingPrerequisite(Prerequisite Prerequisite, string Message);

/// <summary>The prerequisite rules of the catalogue, as pure functions that report every missing prerequisite at once.</summary>
public static class PrerequisiteRules
{
    public const string MissingCode = "program_prerequisite_missing";

    /// <summary>The name of the problem extension that lists the missing prerequisites' ids.</summary>
    public const string MissingExtension = "missingPrerequisites";

    /// <summary>Every prerequisite of <paramref name="program"/> that does not hold for enrolling now, by someone who is (or is not) a Global admin.</summary>
    public static IReadOnlyList<MissingPrerequisite> MissingToEnroll(ProgramDefinition program, EnrollmentFacts facts, bool enrollerIsGlobalAdmin) =>
        [.. program.Prerequisites.Select(p => Check(program, p, facts, enrollerIsGlobalAdmin)).OfType<MissingPrerequisite>()];

    /// <summary>Every prerequisite about the account that no longer holds when an operator activates the enrollment (who enrolled is not re-checked).</summary>
    public static IReadOnlyList<MissingPrerequisite> MissingToActivate(ProgramDefinition program, EnrollmentFacts facts) =>
        [.. program.Prerequisites.Where(ProgramDefinition.IsAboutTheAccount).Select(p => Check(program, p, facts, enrollerIsGlobalAdmin: true)).OfType<MissingPrerequisite>()];

    /// <summary>422 <c>program_prerequisite_missing</c>: the messages under <c>errors.programId</c>, the ids in the <c>missingPrerequisites</c> extension.</summary>
    public static Error ToError(ProgramDefinition program, IReadOnlyList<MissingPrerequisite> missing) =>
        Error.BusinessRule(
            MissingCode,
            $"'{program.Name}' has {missing.Count} missing prerequisite{(missing.Count == 1 ? string.Empty : "s")}: {string.Join(" ", missing.Select(m => m.Message))}",
            new Dictionary<string, string[]> { ["programId"] = [.. missing.Select(m => m.Message)] })
        with
        {
            Extensions = new Dictionary<string, object> { [MissingExtension] = missing.Select(m => NameOf(m.Prerequisite)).ToArray() },
        };

    /// <summary>The prerequisite's id as the API spells it (camelCase).</summary>
    public static string NameOf(Prerequisite prerequisite)
    {
        var name = prerequisite.ToString();
        return char.ToLowerInvariant(name[0]) + name[1..];
    }

    public static string Describe(Prerequisite prerequisite) => prerequisite switch
    {
        Prerequisite.MpnEnrollment => "An active enrollment in the partner network (MPN).",
        Prerequisite.VerifiedAccount => "A verified account (verification status 'verified').",
        Prerequisite.GlobalAdmin => "The person enrolling is a Global admin of the account.",
        _ => prerequisite.ToString(),
    };

    private static MissingPrerequisite? Check(ProgramDefinition program, Prerequisite prerequisite, EnrollmentFacts facts, bool enrollerIsGlobalAdmin) => prerequisite switch
    {
        Prerequisite.MpnEnrollment when !facts.IsActive(ProgramCatalogue.MpnId) => new(prerequisite,
            $"'{program.Name}' needs an active partner network (MPN) enrollment."),
        Prerequisite.VerifiedAccount when facts.Verification == VerificationStatus.Rejected => new(prerequisite,
            $"The account's verification was rejected, which blocks '{program.Name}': it needs a verified account."),
        Prerequisite.VerifiedAccount when facts.Verification != VerificationStatus.Verified => new(prerequisite,
            $"'{program.Name}' needs a verified account; its verification is not yet complete."),
        Prerequisite.GlobalAdmin when !enrollerIsGlobalAdmin => new(prerequisite,
            $"Only a Global admin may enroll the account in '{program.Name}'."),
        _ => null,
    };
}
