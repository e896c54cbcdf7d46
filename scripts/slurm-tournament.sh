#!/bin/bash
#SBATCH --array=1-8 --cpus-per-task=4 --time=02:00:00 --requeue
# One shard per array task, the folder shared. --resume: a task requeued (a node lost, a
# preemption, `scontrol requeue`) carries on where its journal stops.
shuttle tournament scenarios/* --negotiators boulware,linear,conceder,frequency --repetitions 20 \
    --jobs "$SLURM_CPUS_PER_TASK" --shard "$SLURM_ARRAY_TASK_ID/$SLURM_ARRAY_TASK_COUNT" \
    --out "results/shard-$SLURM_ARRAY_TASK_ID" --resume
# Then, once every task is done:
#   sbatch --dependency=afterok:$ARRAY_JOB_ID --wrap 'shuttle tournament merge results/shard-* --out results/merged'
