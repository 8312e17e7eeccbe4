"""Every model, imported once so that the metadata and Alembic see the whole schema."""

from portal.accounts.models import ApiToken, LoginFailure, User  # noqa: F401
from portal.applications.models import (  # noqa: F401
    Application,
    ApplicationFile,
    ApplicationVersion,
    TeamMember,
)
from portal.audit import AuditEntry, AuditHead  # noqa: F401
from portal.campaigns.models import (  # noqa: F401
    Campaign,
    CampaignCategory,
    ReviewStage,
    RubricItem,
)
from portal.db import Base  # noqa: F401
from portal.eligibility.models import (  # noqa: F401
    CleanRecordDeclaration,
    EligibilityRules,
    IntegrityFinding,
)
from portal.files.models import StoredFile  # noqa: F401
from portal.honours.models import (  # noqa: F401
    Complaint,
    Honour,
    HonourAward,
    Inspection,
    InspectionFile,
    RevocationProposal,
    RevocationVote,
)
from portal.mail import OutboxMessage  # noqa: F401
from portal.national.models import NationalNomination  # noqa: F401
from portal.notice import kept as notice_kept  # noqa: F401  (keeps ListChange as packets move)
from portal.notice.models import (  # noqa: F401
    ApprovalRound,
    CalendarDay,
    ListChange,
    Objection,
    ObjectionFile,
    PublicNotice,
    RoundCandidate,
    Signature,
)
from portal.organizations.models import District, Industry, Organization  # noqa: F401
from portal.recommendations.balance_kept import BalancePacket, BalanceSums  # noqa: F401  (and their hook)
from portal.recommendations.models import Recommendation, RecommendationEntry  # noqa: F401
from portal.reevaluation.models import Reevaluation, ReevaluationRound  # noqa: F401
from portal.review.models import StageDecision  # noqa: F401
from portal.review.queue_kept import QueuePacket, QueueSums  # noqa: F401  (and their hook)
from portal.roles import Role  # noqa: F401
from portal.scoring.models import (  # noqa: F401
    Assignment,
    Expert,
    Panel,
    Pledge,
    ScoreItem,
    ScoreSheet,
)
from portal.scoring.results import kept  # noqa: F401  (keeps PacketFigures as sheets change)
from portal.scoring.results.models import ListMove, PacketFigures  # noqa: F401
from portal.similarity.models import (  # noqa: F401
    NarrativeBand,
    NarrativeFingerprint,
    NarrativeMatch,
)
from portal.statistics.models import ActivityStatistics  # noqa: F401
from portal.survey.models import (  # noqa: F401
    FrozenFigures,
    LoginNetwork,
    Survey,
    SurveyAnswer,
    SurveySettings,
)
