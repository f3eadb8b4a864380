package demo

import (
	"context"
	"fmt"
	"time"

	"github.com/wenming/wenming/internal/quiz"
	"github.com/wenming/wenming/internal/rpc"
)

// demoContest is the open contest `serve --demo` starts with: ten
// questions drawn per attempt from the demo bank, shuffled, five minutes,
// three tries per resident with the best one on the leaderboard.
func demoContest(now time.Time) quiz.Settings {
	s := quiz.Settings{
		Title:       "2026年文明礼仪知识竞赛（演示）",
		Description: "每次随机抽取10道题，限时5分钟，每人可参加3次，按最好成绩排名。",
		Organiser:   "文明办（演示）",
		StartTime:   now.Add(-time.Hour),
		EndTime:     now.AddDate(0, 3, 0),
		Draws: []quiz.DrawRule{
			{Category: "公共秩序", Count: 2}, {Category: "交通出行", Count: 2},
			{Category: "餐桌礼仪", Count: 2}, {Category: "网络文明", Count: 2},
			{Category: "社区生活", Count: 1}, {Category: "旅游出行", Count: 1},
		},
		ShuffleQuestions: true,
		ShuffleOptions:   true,
		TimeLimit:        5 * time.Minute,
		AttemptsAllowed:  3,
		PointsCenti:      1000,
		MultiPolicy:      quiz.Partial,
		Counting:         quiz.CountBest,
	}
	s.Normalize()
	return s
}

// loadQuizContest creates and publishes the demo contest unless the
// database already has a contest.
func loadQuizContest(ctx context.Context, d rpc.Deps) error {
	db := d.DB
	var n int
	if err := db.R.GetContext(ctx, &n, `SELECT COUNT(*) FROM contests`); err != nil {
		return err
	}
	if n > 0 {
		return nil
	}
	svc, err := quiz.New(d)
	if err != nil {
		return err
	}
	c, err := svc.CreateContest(ctx, demoContest(d.Clock()()))
	if err != nil {
		return fmt.Errorf("demo contest: %w", err)
	}
	if _, err := svc.PublishContest(ctx, c.ID); err != nil {
		return fmt.Errorf("demo contest: %w", err)
	}
	return nil
}
