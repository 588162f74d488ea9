using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using PartnerAccounts.Domain.Accounts;
using PartnerAccounts.Domain.Common;
using PartnerAccounts.Domain.Programs;

namespace PartnerAccounts.Infrastructure.Persistence.Configurations;

public sealed class EnrollmentConfiguration : IEntityTypeConfiguration<Enrollment>
{
    public void Configure(EntityTypeBuilder<Enrollment> builder)
    {
        builder.ToTable("Enrollments");

        // One row per account and program: two requests enrolling at once cannot both insert one (unique key), and two
        // re-enrolling at once cannot both move it (concurrency token), so an account never has two live enrollments in a program.
        builder.HasKey(e => new { e.AccountId, e.ProgramId });
        builder.HasOne<Account>().WithMany().HasForeignKey(e => e.AccountId).OnDelete(DeleteBehavior.Cascade);
        builder.Property(e => e.ProgramId).HasMaxLength(ProgramCatalogue.MaxIdLength);
        builder.Property(e => e.Status).HasConversion<string>().HasMaxLength(20);
        builder.Property(e => e.Reason).HasMaxLength(FieldLimits.EnrollmentReason);
        builder.Property(e => e.Version).IsConcurrencyToken();
    }
}
