using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace PartnerAccounts.Infrastructure.Persistence.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class PerAccountCredentialsAndProtectedReplays : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // Responses stored before this migration hold secrets in the clear; replays are a 24-hour convenience, so they go.
            migrationBuilder.Sql("DELETE FROM \"IdempotencyRecords\";");

            migrationBuilder.DropIndex(
                name: "IX_Users_NormalizedEmail",
                table: "Users");

            migrationBuilder.AddColumn<Guid>(
                name: "IssuedByAccountId",
                table: "Users",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<Guid>(
                name: "SecurityStamp",
                table: "Users",
                type: "TEXT",
                nullable: false,
                defaultValue: new Guid("00000000-0000-0000-0000-000000000000"));

            migrationBuilder.AddColumn<Guid>(
                name: "AccountId",
                table: "IdempotencyRecords",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "Permission",
                table: "IdempotencyRecords",
                type: "TEXT",
                maxLength: 64,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "SecretKind",
                table: "IdempotencyRecords",
                type: "TEXT",
                maxLength: 32,
                nullable: true);

            migrationBuilder.AddColumn<Guid>(
                name: "SecretStamp",
                table: "IdempotencyRecords",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<Guid>(
                name: "SecretSubjectId",
                table: "IdempotencyRecords",
                type: "TEXT",
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "IX_Users_IssuedByAccountId",
                table: "Users",
                column: "IssuedByAccountId");

            migrationBuilder.CreateIndex(
                name: "IX_Users_NormalizedEmail_IssuedByAccountId",
                table: "Users",
                columns: new[] { "NormalizedEmail", "IssuedByAccountId" },
                unique: true);

            migrationBuilder.AddForeignKey(
                name: "FK_Users_Accounts_IssuedByAccountId",
                table: "Users",
                column: "IssuedByAccountId",
                principalTable: "Accounts",
                principalColumn: "Id",
                onDelete: ReferentialAction.Cascade);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropForeignKey(
                name: "FK_Users_Accounts_IssuedByAccountId",
                table: "Users");

            migrationBuilder.DropIndex(
                name: "IX_Users_IssuedByAccountId",
                table: "Users");

            migrationBuilder.DropIndex(
                name: "IX_Users_NormalizedEmail_IssuedByAccountId",
                table: "Users");

            migrationBuilder.DropColumn(
                name: "IssuedByAccountId",
                table: "Users");

            migrationBuilder.DropColumn(
                name: "SecurityStamp",
                table: "Users");

            migrationBuilder.DropColumn(
                name: "AccountId",
                table: "IdempotencyRecords");

            migrationBuilder.DropColumn(
                name: "Permission",
                table: "IdempotencyRecords");

            migrationBuilder.DropColumn(
                name: "SecretKind",
                table: "IdempotencyRecords");

            migrationBuilder.DropColumn(
                name: "SecretStamp",
                table: "IdempotencyRecords");

            migrationBuilder.DropColumn(
                name: "SecretSubjectId",
                table: "IdempotencyRecords");

            migrationBuilder.CreateIndex(
                name: "IX_Users_NormalizedEmail",
                table: "Users",
                column: "NormalizedEmail",
                unique: true);
        }
    }
}
