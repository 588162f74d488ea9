using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using PartnerAccounts.Domain.Common;
using PartnerAccounts.Domain.Learn;

namespace PartnerAccounts.Infrastructure.Persistence.Configurations;

/// <summary>Keyed by the person's normalized email (as users are identified), so it needs nothing from the user model.</summary>
public sealed class LearnProfileConfiguration : IEntityTypeConfiguration<LearnProfile>
{
    public void Configure(EntityTypeBuilder<LearnProfile> builder)
    {
        builder.ToTable("LearnProfiles");
        builder.HasKey(p => p.NormalizedEmail);
        builder.Property(p => p.NormalizedEmail).HasMaxLength(FieldLimits.Email);
        builder.Property(p => p.TranscriptUrl).HasMaxLength(FieldLimits.LearnTranscriptUrl);
        builder.Property(p => p.Version).IsConcurrencyToken();
        builder.Ignore(p => p.IsLinked);
    }
}
