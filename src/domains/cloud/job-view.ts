import { sql, type SQL } from "drizzle-orm";
import { notFound } from "../../lib/errors";
import { iso } from "../tracks/track-view";
import type { BackupJob } from "./schemas";

/** A backup job as the API shows it, over a relation of backup_jobs rows aliased `j`. */
export const jobJson = (j = "j"): SQL => {
  const t = sql.raw(j);
  return sql`json_build_object(
    'id', ${t}.id, 'cloud_account_id', ${t}.cloud_account_id, 'name', ${t}.name,
    'include_tracks', ${t}.include_tracks, 'include_projects', ${t}.include_projects, 'include_data_export', ${t}.include_data_export,
    'remote_path', ${t}.remote_path, 'schedule', ${t}.schedule, 'timezone', ${t}.schedule_timezone, 'enabled', ${t}.is_enabled,
    'next_run_at', ${iso(`${j}.next_run_at`)}, 'status', ${t}.status, 'progress_percent', ${t}.progress_percent,
    'files_total', ${t}.files_total, 'files_copied', ${t}.files_copied, 'files_skipped', ${t}.files_skipped, 'files_failed', ${t}.files_failed,
    'bytes_total', ${t}.bytes_total, 'bytes_copied', ${t}.bytes_copied, 'run_count', ${t}.run_count, 'error_message', ${t}.error_message,
    'queued_at', ${iso(`${j}.queued_at`)}, 'started_at', ${iso(`${j}.started_at`)}, 'finished_at', ${iso(`${j}.finished_at`)},
    'last_success_at', ${iso(`${j}.last_success_at`)}, 'created_at', ${iso(`${j}.created_at`)}, 'updated_at', ${iso(`${j}.updated_at`)})`;
};

/** backup_jobs rows of `userId` (through their account), aliased `j`. */
export const myJobs = (userId: string) => sql`backup_jobs j JOIN cloud_accounts a ON a.id = j.cloud_account_id AND a.user_id = ${userId}`;

export const jobNotFound = () => notFound("The backup job");

export const toJob = (json: unknown) => json as BackupJob;
