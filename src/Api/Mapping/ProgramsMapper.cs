using PartnerAccounts.Api.Contracts.V1;
using PartnerAccounts.Application.Programs;
using PartnerAccounts.Application.Programs.DecideEnrollment;
using PartnerAccounts.Application.Programs.Enroll;
using Riok.Mapperly.Abstractions;

namespace PartnerAccounts.Api.Mapping;

/// <summary>Version 1 program and enrollment contracts to and from the application's commands and read models.</summary>
[Mapper(EnumMappingStrategy = EnumMappingStrategy.ByName, RequiredMappingStrategy = RequiredMappingStrategy.Target)]
[UseStaticMapper(typeof(ContractMapper))]
public static partial class ProgramsMapper
{
    public static partial ProgramResponse ToResponse(this ProgramDto program);

    public static partial EnrollmentResponse ToResponse(this EnrollmentDto enrollment);

    public static partial AccountSettingsResponse ToResponse(this AccountSettingsDto settings);

    public static partial EnrollCommand ToCommand(this EnrollRequest request, Guid accountId);

    public static DecideEnrollmentCommand ToCommand(this EnrollmentDecisionRequest request, Guid accountId, string programId) =>
        new(accountId, programId, ToStatus(request.Status), request.Reason);

    private static Domain.Programs.EnrollmentStatus? ToStatus(EnrollmentDecision? decision) => decision switch
    {
        EnrollmentDecision.Active => Domain.Programs.EnrollmentStatus.Active,
        EnrollmentDecision.Rejected => Domain.Programs.EnrollmentStatus.Rejected,
        _ => null,
    };
}
